#!/usr/bin/env python3
"""Writes the seed corpora of fuzz/corpus/<target>/ from the bundled lists
(data/) and the test fixtures (tests/fixtures/): small, valid cuts of the
real files, each at most 64 KiB. Run from the repository root; the output
is committed, so this only needs running again when the sources change."""
import csv, gzip, io, os, re, subprocess, sys, tempfile, zipfile

LIMIT = 64 * 1024
OUT = "fuzz/corpus"
SEP = b"\n====\n"


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > LIMIT:
        data = data[:LIMIT]
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def head_lines(data, n):
    return b"".join(data.splitlines(keepends=True)[:n])


def ofac_csv():
    fx = "tests/fixtures/ofac/"
    put("ofac_csv", "fixture_sdn_add_alt", read(fx + "sdn.csv") + SEP + read(fx + "add.csv") + SEP + read(fx + "alt.csv"))
    put("ofac_csv", "fixture_sdn_only", read(fx + "sdn.csv"))
    cons = "data/lists/ofac-consolidated/"
    prim = read(cons + "cons_prim.csv").splitlines(keepends=True)
    ids = set()
    for k, start in enumerate((0, 200, 400)):
        rows = prim[start:start + 60]
        ids = {r.split(b",", 1)[0] for r in rows}
        parts = [b"".join(rows)]
        for f in ("cons_add.csv", "cons_alt.csv", "cons_comments.csv"):
            parts.append(b"".join(r for r in read(cons + f).splitlines(keepends=True) if r.split(b",", 1)[0] in ids))
        put("ofac_csv", "cons_%d" % k, SEP.join(parts))
    sdn = read("data/lists/ofac-sdn/2024-05-03/sdn.csv").splitlines(keepends=True)
    put("ofac_csv", "sdn_2024_tail", b"".join(sdn[-80:]))


def ofac_remarks():
    seen = set()
    for path in ("tests/fixtures/ofac/sdn.csv", "data/lists/ofac-sdn/2023-12-28/sdn.csv"):
        text = read(path).decode("latin-1")
        for row in csv.reader(io.StringIO(text)):
            if len(row) < 12:
                continue
            r = row[11].strip()
            if r == "-0-" or not r:
                continue
            # one per distinct shape of labels, so the seeds differ
            shape = tuple(re.findall(r"(?:^|; )([A-Za-z .]+?)(?= [0-9A-Z])", r))[:4]
            if shape in seen:
                continue
            seen.add(shape)
            put("ofac_remarks", "r%03d" % len(seen), r)
            if len(seen) >= 120:
                return


def un_xml():
    for f in ("consolidated.xml", "hangul.xml", "truncated.xml"):
        put("un_xml", f, read("tests/fixtures/un/" + f))
    x = read("data/lists/un/consolidated.xml").decode("utf-8")
    for tag, wrap in (("INDIVIDUAL", "INDIVIDUALS"), ("ENTITY", "ENTITIES")):
        items = re.findall(r"<%s>.*?</%s>" % (tag, tag), x, re.S)
        head = x[: x.find("<INDIVIDUALS>")]
        for k, start in enumerate((0, len(items) // 2, len(items) - 12)):
            body = "".join(items[start:start + 12])
            doc = head + "<%s>%s</%s>" % (wrap, body, wrap)
            if tag == "INDIVIDUAL":
                doc += "<ENTITIES/>"
            else:
                doc = head + "<INDIVIDUALS/><ENTITIES>%s</ENTITIES>" % body
            put("un_xml", "%s_%d.xml" % (tag.lower(), k), doc + "</CONSOLIDATED_LIST>\n")


def ofac_xml():
    x = zipfile.ZipFile("data/lists/ofac-consolidated/CONS_ENHANCED.ZIP").read("CONS_ENHANCED.XML").decode("utf-8")
    start = x.find("<entities>")
    head, rest = x[:start], x[start:]
    ents = re.findall(r"<entity .*?</entity>", rest, re.S)
    ref_block = re.search(r"<referenceValues>.*?</referenceValues>", head, re.S)
    for k, at in enumerate((0, len(ents) // 3, 2 * len(ents) // 3, len(ents) - 8)):
        chosen = ents[at:at + 8]
        used = set(re.findall(r'ref(?:Id)?="(\d+)"', "".join(chosen)))
        refs = re.findall(r"<referenceValue refId=\"(\d+)\">.*?</referenceValue>", ref_block.group(0), re.S)
        blocks = re.findall(r"<referenceValue refId=\"\d+\">.*?</referenceValue>", ref_block.group(0), re.S)
        kept = "".join(b for r, b in zip(refs, blocks) if r in used)
        h = head[: ref_block.start()] + "<referenceValues>" + kept + "</referenceValues>" + head[ref_block.end():]
        doc = h + "<entities>" + "".join(chosen) + "</entities>\n</sanctionsData>\n"
        while len(doc.encode()) > LIMIT and len(chosen) > 1:
            chosen = chosen[:-1]
            doc = h + "<entities>" + "".join(chosen) + "</entities>\n</sanctionsData>\n"
        put("ofac_xml", "cons_%d.xml" % k, doc)
        if k == 0:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("CONS_ENHANCED.XML", doc)
            put("ofac_xml", "cons_0.zip", buf.getvalue())


def uk_xlsx():
    z = zipfile.ZipFile("data/lists/uk/ConList.xlsx")
    sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8-sig")
    sst = z.read("xl/sharedStrings.xml").decode("utf-8")
    strings = re.findall(r"<si>.*?</si>", sst, re.S)
    a, b = sheet.find("<sheetData>") + len("<sheetData>"), sheet.find("</sheetData>")
    rows = re.findall(r"<row .*?</row>", sheet[a:b], re.S)
    for k, start in enumerate((2, 5000, 15000)):
        chosen = rows[:2] + rows[start:start + 10]
        remap = {}

        def sub(m):
            old = int(m.group(2))
            if old not in remap:
                remap[old] = len(remap)
            return m.group(1) + str(remap[old]) + "</v>"

        body = "".join(re.sub(r'(t="s"[^>]*><v>)(\d+)</v>', sub, r) for r in chosen)
        new_sst = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(remap), len(remap))
        new_sst += "".join(strings[o] for o, _ in sorted(remap.items(), key=lambda kv: kv[1])) + "</sst>"
        new_sheet = sheet[:a] + body + sheet[b:]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in z.infolist():
                if info.filename == "xl/worksheets/sheet1.xml":
                    zf.writestr(info.filename, new_sheet)
                elif info.filename == "xl/sharedStrings.xml":
                    zf.writestr(info.filename, new_sst)
                else:
                    zf.writestr(info.filename, z.read(info.filename))
        put("uk_xlsx", "conlist_%d.xlsx" % k, buf.getvalue())


def us_csl():
    lines = gzip.decompress(read("data/lists/us-csl/consolidated.csv.gz")).splitlines(keepends=True)
    hdr = lines[0]
    for k, start in enumerate((1, len(lines) // 3, 2 * len(lines) // 3, len(lines) - 25)):
        doc = hdr + b"".join(lines[start:start + 25])
        while len(doc) > LIMIT:
            doc = head_lines(doc, len(doc.splitlines()) - 1)
        put("us_csl", "csl_%d.csv" % k, doc)
        if k == 0:
            put("us_csl", "csl_0.csv.gz", gzip.compress(doc))


def ftm_json():
    for f in ("handmade.ftm.json", "ownership.ftm.json", "t1_entities.ftm.json"):
        put("ftm_json", f, read("tests/fixtures/ftm/" + f))
    z = read("tests/fixtures/ftm/zala_entities.ftm.json").splitlines(keepends=True)
    doc, k = b"", 0
    for line in z:
        if len(doc) + len(line) > LIMIT - 1024:
            put("ftm_json", "zala_%d.json" % k, doc)
            doc, k = b"", k + 1
        doc += line
    if doc:
        put("ftm_json", "zala_%d.json" % k, doc)


def sources():
    ofac = '{"list": "us_ofac_sdn", "title": "SDN", "format": "ofac_csv", "published": "2023-12-28", "files": {"primary": "lists/sdn.csv", "address": "lists/add.csv", "alias": "lists/alt.csv"}}'
    un = '{"list": "un_sc", "title": "UN", "format": "un_xml", "files": {"xml": "lists/un.xml"}}'
    ftm = '{"list": "ftm", "title": "FtM", "format": "ftm_json", "enabled": true, "files": {"json": "lists/ftm.json"}}'
    off = '{"list": "gb_ofsi", "title": "UK", "format": "uk_xlsx", "enabled": false, "files": {"xlsx": "lists/none.xlsx"}}'
    put("sources", "all.json", '{"sources": [%s, %s, %s, %s]}' % (ofac, un, ftm, off))
    put("sources", "ofac.json", '{"sources": [%s]}' % ofac)
    put("sources", "un_ftm.json", '{"sources": [%s, %s]}' % (un, ftm))
    put("sources", "bundled.json", read("data/sources.json"))


def query_jsonl():
    lines = [
        '{"id": "q1", "name": "Kim Sang Man", "type": "person", "birth_date": "1965-04-25", "country": "KP"}',
        '{"id": 2, "name": "AEROCARIBBEAN AIRLINES", "type": "organization", "country": "Cuba"}',
        '{"id": "q3", "identifiers": [{"type": "passport", "number": "A1234567"}]}',
        '{"id": "q4", "wallets": [{"currency": "ETH", "address": "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"}]}',
        '{"id": "q5", "name": "\\u0418\\u0432\\u0430\\u043d\\u043e\\u0432 \\u0418\\u0432\\u0430\\u043d", "birth_date": "1970"}',
        '{"id": "q6", "name": "\\uae40\\uc0c1\\ub9cc", "type": "vessel"}',
        '{"id": "q7", "name": null, "type": "aircraft", "birth_date": "1970-13-45"}',
        '{"id": "q8", "name": ["not", "a", "string"]}',
        "not json at all",
    ]
    put("query_jsonl", "mixed.jsonl", "\n".join(lines) + "\n")
    for i, l in enumerate(lines):
        put("query_jsonl", "q%d.jsonl" % i, l + "\n")
    v = read("tests/data/eval/variants.jsonl").splitlines(keepends=True)
    for k in range(4):
        put("query_jsonl", "variants_%d.jsonl" % k, b"".join(v[k * 16:(k + 1) * 16]))


def normalize():
    names = set()
    for f in ("tests/fixtures/un/hangul.xml", "tests/fixtures/un/consolidated.xml"):
        for m in re.findall(r"<(?:FIRST_NAME|SECOND_NAME|THIRD_NAME|ALIAS_NAME|NAME_ORIGINAL_SCRIPT)>(.*?)</", read(f).decode("utf-8")):
            names.add(m)
    for line in read("tests/fixtures/ftm/t1_entities.ftm.json").decode("utf-8").splitlines():
        for m in re.findall(r'"name": \[(.*?)\]', line):
            for n in re.findall(r'"((?:[^"\\]|\\.)*)"', m):
                names.add(n)
    names.update(["S.A. DE C.V.", "Ch'oe Ch'ol-ho", "LIMITED LIABILITY COMPANY ROSNEFT", "Mr. Muhammad bin Salman",
                  "Лукашенко Александр Григорьевич", "김상만", "محمد حسين", "習近平", "Ελληνική Εταιρεία", "ǅemal Ǉubić ﬁnance"])
    for i, n in enumerate(sorted(names)[:150]):
        put("normalize", "n%03d" % i, n)
    put("normalize", "latin1", "Jos\xe9 M\xfcller".encode("latin-1"))


def index_load(redflag):
    """Patches to the index fuzz_index_load builds from the OFAC fixture
    (see fuzz/fuzz_index_load.c): the same index is built here to find its
    section table, then each seed damages one field or section."""
    import struct
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(d + "/lists")
        for f in ("sdn.csv", "add.csv", "alt.csv"):
            with open(d + "/lists/" + f, "wb") as o:
                o.write(read("tests/fixtures/ofac/" + f))
        with open(d + "/sources.json", "w") as o:
            o.write('{"sources": [{"list": "us_ofac_sdn", "title": "SDN", "format": "ofac_csv", "files": {"primary": "lists/sdn.csv", "address": "lists/add.csv", "alias": "lists/alt.csv"}}]}')
        subprocess.run([redflag, "--data", d, "index", "build", "-o", d + "/ix"], check=True, stdout=subprocess.DEVNULL)
        data = read(d + "/ix")
    nsec = struct.unpack_from("<I", data, 12)[0]

    def rec(off, b):
        return struct.pack("<IB", off, len(b)) + b

    put("index_load", "unchanged", b"")
    put("index_load", "truncated_head.rfx", data[:4096])
    put("index_load", "cut_half", rec(len(data) // 2, b""))
    put("index_load", "version", rec(8, b"\x04\x00\x00\x00"))
    put("index_load", "nsec", rec(12, b"\xff\x00\x00\x00"))
    for i in range(nsec):
        sid, off, ln = struct.unpack_from("<IQQ", data, 32 + i * 24 + 0) if False else (None, None, None)
        sid = struct.unpack_from("<I", data, 32 + i * 24)[0]
        off, ln = struct.unpack_from("<QQ", data, 32 + i * 24 + 8)
        put("index_load", "sec%02d_len" % sid, rec(32 + i * 24 + 16, struct.pack("<Q", ln + 8)))
        put("index_load", "sec%02d_off" % sid, rec(32 + i * 24 + 8, struct.pack("<Q", off + 8)))
        if ln:
            put("index_load", "sec%02d_ff" % sid, rec(off, b"\xff" * min(16, ln)))
            put("index_load", "sec%02d_mid" % sid, rec(off + ln // 2, b"\x7f\xff\xff\xff" * 2))


def http():
    reqs = [
        ("POST /v1/screen", '{"id": "q1", "name": "Kim Sang Man", "type": "person"}'),
        ("POST /v1/screen", '[{"id": "a", "name": "AEROCARIBBEAN AIRLINES"}, {"id": "b", "name": "x"}, {"id": 3}]'),
        ("GET /v1/search?q=aerocaribbean&type=organization&limit=5&min_score=0.5", ""),
        ("GET /v1/search?q=kim&list=us_ofac_sdn&program=CUBA&country=CU", ""),
        ("GET /v1/entities/us_ofac_sdn:306", ""),
        ("GET /v1/lists", ""),
        ("GET /healthz", ""),
        ("GET /readyz", ""),
        ("GET /", ""),
        ("GET /app.js", ""),
        ("GET /../etc/passwd", ""),
        ("POST /match/default", '{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Kim Sang Man"], "birthDate": ["1965"]}}}}'),
        ("POST /match/us_ofac_sdn", '{"queries": {"c": {"schema": "Company", "properties": {"name": ["AEROCARIBBEAN AIRLINES"], "country": ["cu"]}}}}'),
        ("DELETE /v1/screen", "{}"),
    ]
    for i, (line, body) in enumerate(reqs):
        put("http", "req%02d" % i, line + "\n" + body)


if __name__ == "__main__":
    redflag = sys.argv[1] if len(sys.argv) > 1 else "build/redflag"
    for fn in (ofac_csv, ofac_remarks, un_xml, ofac_xml, uk_xlsx, us_csl, ftm_json, sources, query_jsonl, normalize, http):
        fn()
    index_load(redflag)
    for t in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, t))
        print("%-14s %3d files, %7d bytes" % (t, len(files), sum(os.path.getsize(os.path.join(OUT, t, f)) for f in files)))
