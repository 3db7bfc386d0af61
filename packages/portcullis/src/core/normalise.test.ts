import { describe, expect, it } from "vitest";
import { emailProblem, hasControlCharacter, MAX_EMAIL_LENGTH, normaliseEmail } from "./normalise.js";

describe("normaliseEmail", () => {
  it("gives composed, decomposed and fullwidth spellings of one address one form", () => {
    const composed = "Jos\u00e9@Example.com";
    const decomposed = "Jose\u0301@example.COM";
    const fullwidth = "\uff2a\uff4f\uff53\u00e9\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d";
    expect(normaliseEmail(composed)).toBe("jos\u00e9@example.com");
    expect(normaliseEmail(decomposed)).toBe(normaliseEmail(composed));
    expect(normaliseEmail(fullwidth)).toBe(normaliseEmail(composed));
    expect(normaliseEmail("  Ada@Example.com\t")).toBe("ada@example.com");
  });

  it("keeps characters that are not width forms as they are (no NFKC folding of ligatures)", () => {
    expect(normaliseEmail("\ufb01@example.com")).toBe("\ufb01@example.com");
  });
});

describe("emailProblem", () => {
  it("refuses control characters anywhere, NUL and DEL included", () => {
    for (const email of ["a\u0000@example.com", "a@exa\u0007mple.com", "a\u007f@example.com", "a\u0085@example.com", "a@example.com\u0000"]) {
      expect(emailProblem(email), JSON.stringify(email)).toBe("Email is invalid");
      expect(hasControlCharacter(email)).toBe(true);
    }
    expect(emailProblem("plain@example.com")).toBeUndefined();
  });

  it(`refuses addresses over ${MAX_EMAIL_LENGTH} characters`, () => {
    const at = (n: number) => `${"a".repeat(n - "@example.com".length)}@example.com`;
    expect(emailProblem(at(MAX_EMAIL_LENGTH))).toBeUndefined();
    expect(emailProblem(at(MAX_EMAIL_LENGTH + 1))).toBe(`Email must be at most ${MAX_EMAIL_LENGTH} characters`);
    expect(emailProblem(at(40_000))).toBe(`Email must be at most ${MAX_EMAIL_LENGTH} characters`);
  });
});
