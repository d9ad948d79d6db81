import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { csvCell, csvField, formatCsv } from "../../../engine/output/csv-formatter.js";
import { sampleResult } from "./fixtures/sample-result.js";

/** Parses CSV texts with Python's csv module (an independent RFC 4180 reader), rows as string arrays. */
function pythonCsvAll(texts: string[]): string[][][] {
  const script =
    "import csv,io,json,sys; print(json.dumps([list(csv.reader(io.StringIO(t, newline=''))) for t in json.load(sys.stdin)]))";
  return JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify(texts), encoding: "utf8" }));
}

function pythonCsv(text: string): string[][] {
  return pythonCsvAll([text])[0];
}

const TRICKY = ["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "", " spaced ", '",\n"', "ünïcode"];

describe("formatCsv", () => {
  it("quotes commas, quotes and line breaks so a standard reader gets the strings back", () => {
    const r = sampleResult();
    r.tables.t = { columns: ["s", "n"], rows: TRICKY.map((s, i) => [s, i]), notes: [] };
    const text = formatCsv(r, { select: { tables: ["t"] } });
    expect(pythonCsv(text)).toEqual([["s", "n"], ...TRICKY.map((s, i) => [s, String(i)])]);
  });

  it("prints only the selected table, without # lines, for piping", () => {
    const text = formatCsv(sampleResult(), { select: { tables: ["exits"] } });
    expect(text).toBe(
      "vm,reason,count,share(count),avg(duration),p99(duration),stddev(duration)\n" +
        "7,EPT_VIOLATION,2,66.66666666666667,125000.5,249999,176776.33\n" +
        '7,"IO, port 0x3f8",1,33.333333333333336,250,250,\n',
    );
  });

  it("keeps # lines when several blocks are selected", () => {
    const text = formatCsv(sampleResult(), { select: { tables: ["empty", "pointers"] } });
    expect(text).toBe(
      "# table empty\nk,count\n\n# table pointers\nptr,first(rip),rate\n18446744073709551615,,0.5\n18446744071578845184,,12\n",
    );
  });

  it("gives every block of the full report a header that a reader splits into the same columns as its rows", () => {
    const blocks = formatCsv(sampleResult()).split("\n\n");
    expect(blocks.map((b) => b.split("\n")[0])).toEqual([
      "# origin 1700000000123456789", "# states vcpu", "# states nested", "# states idle",
      "# segments exit_handling", "# segments io", "# table exits", "# table pointers", "# table empty",
      "# alerts", "# stats",
    ]);
    const bodies = blocks.slice(1).map((b) => b.split("\n").filter((l) => !l.startsWith("#")).join("\n"));
    const parsed = pythonCsvAll(bodies);
    parsed.forEach((rows, i) => {
      for (const row of rows) expect(row.length, bodies[i]).toBe(rows[0].length);
    });
    // The segment whose reason holds a quote and a line break reads back intact.
    expect(parsed[3][3]).toEqual(["2100000", "2100001", "1", "7", 'say "hi"\nbye', "", "true"]);
  });

  it("writes exact bigints, empty cells for null and non-finite, arrays as JSON", () => {
    expect(csvCell(2n ** 70n)).toBe("1180591620717411303424");
    expect([csvCell(null), csvCell(NaN), csvCell(-Infinity)]).toEqual(["", "", ""]);
    expect(csvCell([1, "a,b"])).toBe('"[1, ""a,b""]"');
    expect(csvCell(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvField("x")).toBe("x");
  });
});
