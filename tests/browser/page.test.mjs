// The analyst page in a real browser (Debian's chromium, headless): type
// "King San Man", see KIM, Sang Man first, open the entity, find its ETH
// wallet; then the alert queue: a recorded screening's alert is listed, the
// analyst opens it, sees why it matched and records a false positive.
// Starts `redflag serve --store` (a temporary record) on a free port; saves
// screenshots (the second beside the first, "-alerts").
// usage: node page.test.mjs REDFLAG_BINARY DATA_DIR SCREENSHOT_PATH
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [binary, data, shot] = process.argv.slice(2);
const fail = (msg) => { console.error("FAIL: " + msg); process.exitCode = 1; };

const dir = mkdtempSync(join(tmpdir(), "rf-page-"));
const server = spawn(binary, ["--data", data, "serve", "--listen", "127.0.0.1:0", "--threads", "2",
                              "--store", join(dir, "record.db")],
                     { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/on (http:\/\/[^ ]+\/)/);
    if (m) resolve(m[1]);
  });
  server.on("exit", (code) => reject(new Error("redflag serve exited with " + code)));
  setTimeout(() => reject(new Error("redflag serve did not start")), 30000).unref();
});

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("pageerror", (e) => fail("page error: " + e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("versions").textContent.startsWith("Lists:"));
  const footer = await page.textContent("#versions");
  if (!footer.includes("us_ofac_sdn (2023-12-28")) fail("the footer lacks the SDN version: " + footer);
  // the keyboard only: type and press Enter
  await page.focus("#q");
  await page.keyboard.type("King San Man");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#results li");
  const first = await page.textContent("#results li:first-child .name");
  if (first.trim() !== "KIM, Sang Man") fail("first result is '" + first + "', not KIM, Sang Man");
  const why = await page.textContent("#results li:first-child .why");
  if (!why.includes("kim")) fail("no explanation line: " + why);
  await page.click("#results li:first-child button");
  await page.waitForSelector("#entity:not([hidden])");
  const body = await page.textContent("#entity-body");
  if (!body.includes("ETH 0xb6f5ec1a0a9cd1526536d3f0426c429529471f40")) fail("the ETH wallet is not shown");
  await page.screenshot({ path: shot, fullPage: true });
  // Escape goes back to the results
  await page.keyboard.press("Escape");
  await page.waitForSelector("#entity[hidden]", { state: "attached" });

  // the alert queue: a customer screened through the API with record=1
  const rec = await fetch(url + "v1/screen?record=1", {method: "POST",
    body: JSON.stringify({id: "cust-7", name: "King San Man", country: "RU"})});
  if (!rec.ok) fail("record=1 screening: " + rec.status);
  await page.reload();
  await page.waitForFunction(() => document.getElementById("alert-count").textContent === "1");
  await page.click("#tab-alerts");
  await page.waitForSelector("#queue tbody tr");
  const row = await page.textContent("#queue tbody tr");
  if (!row.includes("cust-7") || !row.includes("KIM, Sang Man")) fail("queue row: " + row);
  // keyboard: focus the row, Enter opens it
  await page.focus("#queue tbody tr");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#alert:not([hidden])");
  const detail = await page.textContent("#alert-body");
  if (!detail.includes("King San Man") || !detail.includes("Why it matched")) fail("alert view: " + detail);
  await page.check("input[value=false_positive]");
  await page.fill("#reason", "Customer born 1990, passport checked; the listed man was born 1958");
  await page.fill("#by", "analyst.ana");
  await page.click("#decision > button");
  await page.waitForFunction(() => document.getElementById("decision-status").textContent.startsWith("Recorded"));
  const history = await page.textContent("#alert-body");
  if (!history.includes("false positive by analyst.ana")) fail("decision history: " + history);
  await page.screenshot({ path: shot.replace(/\.png$/, "-alerts.png"), fullPage: true });
  await page.waitForFunction(() => document.querySelectorAll("#queue tbody tr").length === 0);
  const api = await (await fetch(url + "v1/alerts/1")).json();
  if (api.status !== "false_positive" || api.decisions[0].by !== "analyst.ana") fail("stored decision: " + JSON.stringify(api));
  const audit = await (await fetch(url + "v1/audit/verify")).json();
  if (!audit.intact) fail("audit chain: " + audit.message);
  if (!process.exitCode) console.log("ok: KIM, Sang Man first, ETH wallet shown; alert queue decision recorded; screenshots " + shot);
} catch (e) {
  fail(e.message);
} finally {
  await browser.close();
  server.kill("SIGINT");
  await new Promise((r) => server.on("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
