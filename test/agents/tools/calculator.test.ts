import { describe, expect, it } from "vitest";
import { calculatorTool } from "../../../src/agents/tools/calculator.js";
import { AbortError, ToolExecutionError, ToolSafetyError } from "../../../src/spec/errors.js";

const ctx = () => ({ toolCallId: "t1", abortSignal: new AbortController().signal });
const calc = calculatorTool();
const run = (expression: string) => calc.execute({ expression }, ctx());

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

describe("calculator: exact arithmetic", () => {
  it("adds decimals exactly", async () => {
    const r = await run("0.1 + 0.2");
    expect(r.result).toBe("0.3");
    expect(r.type).toBe("BigNumber");
    expect(r.number).toBe(0.3);
  });

  it("keeps big integers exact", async () => {
    expect((await run("2^64 + 1")).result).toBe("18446744073709551617");
    expect((await run("factorial(25)")).result).toBe("15511210043330985984000000");
    expect((await run("-2^70")).result).toBe("-1180591620717411303424");
  });

  it("divides to 64 significant digits", async () => {
    const r = await run("1/3");
    expect(r.result).toBe(`0.${"3".repeat(64)}`);
    expect(r.number).toBeCloseTo(1 / 3, 15);
  });

  it("honours a custom precision", async () => {
    const short = calculatorTool({ precision: 10 });
    expect((await short.execute({ expression: "1/3" }, ctx())).result).toBe("0.3333333333");
  });

  it("evaluates math functions", async () => {
    expect((await run("sqrt(16)")).result).toBe("4");
    expect((await run("sin(pi/6)")).result).toBe("0.5");
    expect((await run("log(1000, 10)")).result).toBe("3");
    expect((await run("combinations(52, 5)")).result).toBe("2598960");
    expect((await run("gcd(12, 18) + mod(10, 3)")).result).toBe("7");
    expect((await run("sqrt(2)")).result.startsWith("1.41421356237309504880168872420969807856967187537694")).toBe(true);
  });

  it("converts units", async () => {
    const r = await run("5 cm to inch");
    expect(r.type).toBe("Unit");
    expect(r.unit).toBe("inch");
    expect(r.number).toBeCloseTo(1.9685039370078, 12);
    expect(r.result.endsWith(" inch")).toBe(true);
    const speed = await run("36 km/h to m/s");
    expect(speed.number).toBe(10);
  });

  it("returns the last value of several statements and keeps no variables between calls", async () => {
    expect((await run("x = 4; f(y) = y^2; f(x) + 1")).result).toBe("17");
    const error = await failure(run("x + 1"));
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error.message).toContain("Undefined symbol x");
  });

  it("handles matrices and complex numbers", async () => {
    expect((await run("[1, 2; 3, 4] * 2")).result).toBe("[[2, 4], [6, 8]]");
    expect((await run("det([1, 2; 3, 4])")).result).toBe("-2");
    const complex = await run("sqrt(-4)");
    expect(complex.type).toBe("Complex");
    expect(complex.result).toBe("2i");
    expect(complex.number).toBeUndefined();
  });
});

describe("calculator: errors", () => {
  it("reports syntax errors with mathjs's message and a hint", async () => {
    const error = await failure(run("3 +"));
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error.message).toContain("Unexpected end of expression");
    expect(error.message).toContain("5 cm to inch");
  });

  it("reports unknown functions", async () => {
    const error = await failure(run("frobnicate(3)"));
    expect(ToolExecutionError.isInstance(error)).toBe(true);
    expect(error.message).toContain("Undefined function frobnicate");
  });

  for (const expression of [
    "import({ pi: 3 })",
    "createUnit('smoot', '170 cm')",
    "evaluate('1 + 1')",
    "parse('1 + 1')",
    "compile('1 + 1')",
    "simplify('x + x')",
    "derivative('x^2', 'x')",
    "resolve('x', {x: 1})",
    "config({ number: 'number' })",
  ]) {
    it(`refuses the disabled function in ${expression}`, async () => {
      const error = await failure(run(expression));
      expect(error).toBeInstanceOf(ToolSafetyError);
      expect(error.message).toMatch(/is disabled in the calculator/);
    });
  }

  it("still computes exactly after a config change was refused", async () => {
    await failure(run("config({ number: 'number' })"));
    expect((await run("0.1 + 0.2")).result).toBe("0.3");
  });

  it("refuses JavaScript property access", async () => {
    const error = await failure(run("cos.constructor('return process')()"));
    expect(error).toBeInstanceOf(ToolExecutionError);
    const access = await failure(run("unit('5 cm').constructor"));
    expect(access.message).toContain("No access to property");
  });

  it("refuses an over-long expression before evaluating it", async () => {
    const error = await failure(run(`${"1+".repeat(600)}1`));
    expect(error).toBeInstanceOf(ToolSafetyError);
    expect(error.message).toContain("limit of 1000");
  });

  it("refuses results larger than the output limit", async () => {
    const error = await failure(run("ones(80, 80)"));
    expect(error).toBeInstanceOf(ToolSafetyError);
    expect(error.message).toMatch(/characters, more than the 10000/);
    const big = await failure(run("zeros(200, 200)"));
    expect(big.message).toMatch(/40000 elements/);
  });

  it("turns endless recursion into an error", async () => {
    const error = await failure(run("f(x) = f(x) + 1; f(1)"));
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error.message).toContain("Maximum call stack size exceeded");
  });
});

describe("calculator: pathological inputs are bounded", () => {
  it("stops an exponential computation at the time limit and recovers", async () => {
    const quick = calculatorTool({ timeLimitMs: 300 });
    const error = await failure(quick.execute({ expression: "f(n) = n < 1 ? 1 : f(n - 1) + f(n - 1); f(200)" }, ctx()));
    expect(error).toBeInstanceOf(ToolSafetyError);
    expect(error.message).toContain("300 ms time limit");
    expect((await quick.execute({ expression: "2 + 2" }, ctx())).result).toBe("4");
    const factorial = await failure(quick.execute({ expression: "factorial(10^9)" }, ctx()));
    expect(factorial).toBeInstanceOf(ToolSafetyError);
    expect(factorial.message).toContain("time limit");
  });

  it("stops a computation that exhausts the memory limit and recovers", async () => {
    const small = calculatorTool({ timeLimitMs: 20_000 });
    const error = await failure(small.execute({ expression: "size(zeros(3000, 3000))" }, ctx()));
    expect(error).toBeInstanceOf(ToolSafetyError);
    expect(error.message).toContain("64 MiB memory limit");
    expect((await small.execute({ expression: "3 * 3" }, ctx())).result).toBe("9");
    // Large but finite: 64 significant digits in scientific notation, not 456,574 digits.
    const big = await small.execute({ expression: "factorial(100000)" }, ctx());
    expect(big.result).toMatch(/^2\.82422940796034787429342157802453551847749492609\d+e\+456573$/);
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = calc.execute(
      { expression: "f(n) = n < 1 ? 1 : f(n - 1) + f(n - 1); f(200)" },
      { toolCallId: "t2", abortSignal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    expect(await failure(pending)).toBeInstanceOf(AbortError);
    expect((await run("1 + 1")).result).toBe("2");
  });

  it("serves parallel calls one at a time with correct answers", async () => {
    const results = await Promise.all(["1+1", "2*3", "10/4", "2^10"].map((e) => run(e)));
    expect(results.map((r) => r.result)).toEqual(["2", "6", "2.5", "1024"]);
  });
});
