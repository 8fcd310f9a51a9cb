// Reads a JUnit XML file with junit2json (a real consumer from npm) and prints what it saw:
// totals, each suite's counts, and each failure's message. Exits 1 when a suite's attributes
// disagree with the testcases junit2json found in it.
import { readFile } from 'node:fs/promises';
import { parse } from 'junit2json';

const file = process.argv[2];
if (!file) {
  console.error('usage: node junit-counts.mjs JUNIT.xml');
  process.exit(2);
}
const report = await parse(await readFile(file, 'utf8'));
const suites = report.testsuite ?? [];
const lines = [];
const failures = [];
let tests = 0, failed = 0, skipped = 0, consistent = true;
for (const suite of suites) {
  const cases = suite.testcase ?? [];
  const suiteFailed = cases.filter((c) => c.failure?.length).length;
  const suiteSkipped = cases.filter((c) => c.skipped?.length).length;
  if (suite.tests !== cases.length || suite.failures !== suiteFailed || (suite.skipped ?? 0) !== suiteSkipped) {
    consistent = false;
    console.error(`${suite.name}: attributes tests=${suite.tests} failures=${suite.failures} skipped=${suite.skipped}, ` +
                  `testcases ${cases.length} failed ${suiteFailed} skipped ${suiteSkipped}`);
  }
  lines.push(`${suite.name} tests=${suite.tests} failures=${suite.failures} skipped=${suite.skipped ?? 0}`);
  for (const c of cases) for (const f of c.failure ?? []) failures.push(`${c.name}: failure ${f.message}`);
  tests += cases.length;
  failed += suiteFailed;
  skipped += suiteSkipped;
}
if (report.tests !== tests || report.failures !== failed) {
  consistent = false;
  console.error(`testsuites: attributes tests=${report.tests} failures=${report.failures}, testcases ${tests} failed ${failed}`);
}
console.log(`suites=${suites.length} tests=${tests} failures=${failed} skipped=${skipped}`);
for (const line of [...lines, ...failures]) console.log(line);
process.exit(consistent ? 0 : 1);
