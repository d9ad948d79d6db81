import { describe, expect, it } from "vitest";
import { JsonlDecoder } from "../../../../engine/readers/jsonl/decode-jsonl.js";
import { mayHoldBigInt, parseDecimalInteger, parseExactJson, quoteWideIntegers } from "../../../../engine/readers/jsonl/parse-exact-json.js";

const U64_MAX = 0xffff_ffff_ffff_ffffn;

describe("JsonlDecoder: exact integers", () => {
  it("keeps a 64-bit field written as a bare JSON number exact", () => {
    const ev = new JsonlDecoder(0n, 0).decode(`{"ts":1,"name":"kvm_exit","fields":{"guest_rip":${U64_MAX},"small":42}}`);
    expect(ev?.fields.guest_rip).toBe(18446744073709551615n);
    expect(ev?.fields.small).toBe(42);
    // what JSON.parse would have given: the nearest double, 2^64
    expect(JSON.parse(`${U64_MAX}`)).toBe(18446744073709552000);
  });

  it("turns wide decimal strings into bigint, and leaves short digit strings as strings", () => {
    const ev = new JsonlDecoder(0n, 0).decode(`{"ts":1,"name":"x","fields":{"cr3":"${U64_MAX - 1n}","comm":"1234","neg":"-9223372036854775808"}}`);
    expect(ev?.fields.cr3).toBe(18446744073709551614n);
    expect(ev?.fields.comm).toBe("1234");
    expect(ev?.fields.neg).toBe(-9223372036854775808n);
  });

  it("draws the line at 2^53: MAX_SAFE_INTEGER stays a number, one more is a bigint", () => {
    const ev = new JsonlDecoder(0n, 0).decode('{"ts":1,"name":"x","fields":{"a":9007199254740991,"b":9007199254740993,"c":-9007199254740993,"d":1000000000000000}}');
    expect(ev?.fields.a).toBe(9007199254740991);
    expect(ev?.fields.b).toBe(9007199254740993n);
    expect(ev?.fields.c).toBe(-9007199254740993n);
    expect(ev?.fields.d).toBe(1000000000000000);
  });

  it("keeps wide integers in arrays and context exact", () => {
    const ev = new JsonlDecoder(0n, 0).decode(`{"ts":1,"name":"x","fields":{"a":[1,${U64_MAX},[-${U64_MAX}]]},"context":{"tid":5,"key":${U64_MAX}}}`);
    expect(ev?.fields.a).toEqual([1, U64_MAX, [-U64_MAX]]);
    expect(ev?.context).toEqual({ tid: 5, key: U64_MAX });
  });

  it("leaves strings that merely look like wide values alone (the quoting falls back to the exact parser)", () => {
    const line = `{"ts":1,"name":"x","fields":{"msg":"a: ${U64_MAX}, b","m2":"[${U64_MAX}]","n":${U64_MAX},"s16":1000000000000000}}`;
    const ev = new JsonlDecoder(0n, 0).decode(line);
    expect(ev?.fields).toEqual({ msg: `a: ${U64_MAX}, b`, m2: `[${U64_MAX}]`, n: U64_MAX, s16: 1000000000000000 });
    expect(() => JSON.parse(quoteWideIntegers(line))).toThrow();
    expect(quoteWideIntegers(`{"a": ${U64_MAX} ,"b":[9007199254740993],"c":9007199254740991}`)).toBe(
      `{"a": "${U64_MAX}" ,"b":["9007199254740993"],"c":9007199254740991}`,
    );
  });

  it("keeps floats floats, on both paths", () => {
    const fast = new JsonlDecoder(0n, 0).decode('{"ts":1,"name":"x","fields":{"f":1.5,"e":1e3}}');
    const slow = new JsonlDecoder(0n, 0).decode('{"ts":1,"name":"x","fields":{"f":1.5,"e":1e3,"g":12345678901234567.5}}');
    expect(fast?.fields).toEqual({ f: 1.5, e: 1000 });
    expect(slow?.fields).toEqual({ f: 1.5, e: 1000, g: 12345678901234567.5 });
  });

  it("reads epoch-ns timestamps exactly, as numbers or strings, relative to the origin", () => {
    const origin = 1_700_000_000_000_000_000n;
    const d = new JsonlDecoder(origin, 7);
    const a = d.decode('{"ts":1700000000123456789,"name":"x","cpu":3}');
    expect(a).toMatchObject({ ts: 123456789, cpu: 3, host: 7, context: null });
    expect(d.lastAbsTs()).toBe(1700000000123456789n);
    const b = d.decode('{"ts":"1700000000123456791","name":"x"}');
    expect(b?.ts).toBe(123456791);
    expect(b?.cpu).toBe(-1);
    // small ts with a small origin stays on the number path
    const c = new JsonlDecoder(100n, 0).decode('{"ts":"150","name":"x"}');
    expect(c?.ts).toBe(50);
  });

  it("subtracts the origin exactly for any wide decimal ts, near or far from it", () => {
    let seed = 12345n;
    const rnd = (bits: bigint) => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n) % 2n ** bits;
    for (let i = 0; i < 2000; i++) {
      const abs = 10n ** 15n + rnd(64n);
      const origin = i % 10 === 0 ? rnd(64n) : abs - rnd(52n) + (i % 3 === 0 ? rnd(40n) : 0n);
      for (const text of [`"${abs}"`, `${abs}`]) {
        const ev = new JsonlDecoder(origin, 0).decode(`{"ts":${text},"name":"x"}`);
        expect(ev?.ts).toBe(Number(abs - origin));
      }
    }
  });

  it("passes context through, and leaves fields empty when absent", () => {
    const ev = new JsonlDecoder(0n, 0).decode('{"ts":5,"name":"x","context":{"tid":12,"procname":"qemu"}}');
    expect(ev?.context).toEqual({ tid: 12, procname: "qemu" });
    expect(ev?.fields).toEqual({});
    expect(Object.isFrozen(ev?.fields)).toBe(true);
  });
});

describe("parseExactJson", () => {
  const same = [
    '{"a":[1,-2,3.5e-2,true,false,null],"b":{"c":"d"}}',
    '{"s":"esc \\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\udca1"}',
    '{"2":"x","1":"y","b":1,"a":2}',
    '{"dup":1,"dup":2}',
    '{"__proto__":{"polluted":true}}',
    ' { "ws" : [ ] , "e" : { } } ',
    '"top"',
    "-0",
    "[0.5, 10E+2, 1e-7]",
  ];
  for (const text of same) {
    it(`agrees with JSON.parse on ${text}`, () => {
      const exact = parseExactJson(text);
      expect(exact).toEqual(JSON.parse(text));
      expect(JSON.stringify(exact)).toBe(JSON.stringify(JSON.parse(text)));
    });
  }

  const bad = ["{", '{"a":}', '{"a":1,}', "[1,]", "{'a':1}", "01", "NaN", '"\u0001"', '{"a":1} x', '"unterminated', "-", "1.", "tru"];
  for (const text of bad) {
    it(`rejects ${JSON.stringify(text)} as JSON.parse does`, () => {
      expect(() => JSON.parse(text)).toThrow();
      expect(() => parseExactJson(text)).toThrow(/column \d+/);
    });
  }

  it("keeps own __proto__ data without touching the prototype", () => {
    const v = parseExactJson('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__"]);
  });

  it("flags only texts that can hold a wide integer", () => {
    expect(mayHoldBigInt('{"a":9007199254740993}')).toBe(true);
    expect(mayHoldBigInt('{"a":900719925474099}')).toBe(false);
    expect(parseDecimalInteger("9007199254740992")).toBe(9007199254740992n);
    expect(parseDecimalInteger("12x")).toBeUndefined();
  });
});
