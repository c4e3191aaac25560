// The end of .ci/run's output, from vitest's JSON report: notes first, then, as the very last
// line, the plain summary `N passed, N failed`, so a run that executed no test cannot pass
// unnoticed.
//   node .ci/vitest-summary.mjs REPORT [NPM_TEST_EXIT_STATUS]
// Exit status: 0 when tests passed and none failed and npm test succeeded, 1 otherwise, 2 when
// the report is missing or unreadable (then the last line says so: there are no counts).
import { readFileSync } from "node:fs";

const [file, testStatusArg = "0"] = process.argv.slice(2);
const testStatus = Number(testStatusArg);

let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (error) {
  console.log(`ci: vitest JSON report missing or unreadable: ${file} (${error.message})`);
  process.exit(2);
}
if (!Number.isFinite(report.numPassedTests) || !Number.isFinite(report.numFailedTests)) {
  console.log(`ci: vitest JSON report has no numPassedTests/numFailedTests: ${file}`);
  process.exit(2);
}

const count = (key) => (Number.isFinite(report[key]) ? report[key] : 0);
// A suite that failed to load counts as a failure too: its tests never ran, so vitest's
// failed-test count alone would miss it.
const brokenSuites = (report.testResults ?? []).filter(
  (suite) => suite.status === "failed" && !(suite.assertionResults ?? []).some((test) => test.status === "failed"),
);
const passed = count("numPassedTests");
const failed = count("numFailedTests") + brokenSuites.length;
const skipped = count("numPendingTests") + count("numTodoTests");

if (skipped > 0) console.log(`ci: ${skipped} skipped`);
for (const suite of brokenSuites) console.log(`ci: suite failed to load: ${suite.name}${suite.message ? ` (${suite.message.split("\n")[0]})` : ""}`);
if (passed === 0) console.log("ci: no test passed");
if (testStatus !== 0 && failed === 0) console.log(`ci: npm test exited ${testStatus} though no test failed (an unhandled error or a hook; see the log)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 && testStatus === 0 ? 0 : 1);
