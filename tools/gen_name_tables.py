#!/usr/bin/env python3
"""Flatten rigour's name tables (YAML, MIT licence) into the tab-separated
resource files redflag loads: resources/org_types.tsv, org_symbols.tsv,
person_titles.tsv and name_variants_rigour.tsv.

Usage: tools/gen_name_tables.py DIR   (DIR holds org_types.yml, symbols.yml,
stopwords.yml from opensanctions/rigour; ../shared/data/names/ here)

Values are written as rigour has them; redflag normalises them when it loads
the tables, with the same code that normalises names.
"""
import os
import sys

import yaml

NOTICE = """# Derived from opensanctions/rigour resources/names/{src} (snapshot 8f4044dd,
# 2026-07-19) by tools/gen_name_tables.py. Do not edit by hand: regenerate.
# Licence: MIT. Copyright (c) 2023-2025: OpenSanctions Datenbanken GmbH.
"""


def clean(s):
    return " ".join(str(s).replace("\t", " ").split())


def write(path, header, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for r in rows:
            f.write("\t".join(r) + "\n")


def main(src, out):
    types = yaml.safe_load(open(os.path.join(src, "org_types.yml"), encoding="utf-8"))["types"]
    rows = []
    seen = set()
    for t in types:
        canon = t.get("compare") or t.get("display") or t.get("generic")
        generic = t.get("generic") or ""
        if not canon:
            continue
        forms = [canon, t.get("display") or ""] + list(t.get("aliases") or [])
        for a in forms:
            a = clean(a)
            key = (a.lower(), clean(canon).lower())
            if not a or key in seen:
                continue
            seen.add(key)
            rows.append((a, clean(canon), clean(generic)))
    write(os.path.join(out, "org_types.tsv"),
          NOTICE.format(src="org_types.yml") +
          "# Organisation legal forms: alias<TAB>canonical form<TAB>generic class\n"
          "# (LLC, JSC, SOE...). A name's legal form is read as one token of the\n"
          "# canonical form; forms of one generic class count as variants.\n",
          rows)

    sym = yaml.safe_load(open(os.path.join(src, "symbols.yml"), encoding="utf-8"))
    rows = []
    for group, forms in (sym.get("org_symbols") or {}).items():
        for f in forms or []:
            rows.append((clean(f), clean(group)))
    write(os.path.join(out, "org_symbols.tsv"),
          NOTICE.format(src="symbols.yml (org_symbols)") +
          "# Words of organisation names with one meaning across languages and\n"
          "# spellings: form<TAB>symbol. Forms sharing a symbol are variants.\n",
          rows)

    rows = []
    for section in ("person_nick", "person_symbols", "person_name_parts"):
        for group, forms in (sym.get(section) or {}).items():
            names = [clean(f) for f in forms or [] if clean(f)]
            if len(names) >= 2:
                rows.append(tuple(names))
    write(os.path.join(out, "name_variants_rigour.tsv"),
          NOTICE.format(src="symbols.yml (person_nick, person_symbols, person_name_parts)") +
          "# Groups of equivalent person-name tokens, one group a line, tab-separated.\n",
          rows)

    stop = yaml.safe_load(open(os.path.join(src, "stopwords.yml"), encoding="utf-8"))
    rows = [(clean(p),) for p in stop.get("PERSON_NAME_PREFIXES") or [] if clean(p)]
    write(os.path.join(out, "person_titles.tsv"),
          NOTICE.format(src="stopwords.yml (PERSON_NAME_PREFIXES)") +
          "# Titles and honorifics before person names (Mr, Dr, Sheikh...), one a\n"
          "# line. They count for little when names are compared.\n",
          rows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1], os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources"))
