// The analyst page in a real browser (Debian's chromium, headless): type
// "King San Man", see KIM, Sang Man first, open the entity, find its ETH
// wallet. Starts `redflag serve` on a free port; saves a screenshot.
// usage: node page.test.mjs REDFLAG_BINARY DATA_DIR SCREENSHOT_PATH
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

const [binary, data, shot] = process.argv.slice(2);
const fail = (msg) => { console.error("FAIL: " + msg); process.exitCode = 1; };

const server = spawn(binary, ["--data", data, "serve", "--listen", "127.0.0.1:0", "--threads", "2"],
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
  if (!process.exitCode) console.log("ok: KIM, Sang Man first, ETH wallet shown; screenshot " + shot);
} catch (e) {
  fail(e.message);
} finally {
  await browser.close();
  server.kill("SIGINT");
}
