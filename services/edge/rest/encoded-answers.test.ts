import { describe, expect, it } from "vitest";
import { createEncodedAnswers } from "./encoded-answers.js";

const answer = (body: string) => ({ body, gzipped: false, tag: `"${body}"` });

describe("the edge's kept stadium answers", () => {
  it("serve an availability only while it is fresh", () => {
    let now = 1_000;
    const answers = createEncodedAnswers({ maxBytes: 1_000, freshMs: 500, now: () => now });
    answers.keepAvailability("e1/true", '"bits"', () => answer("bits"));
    now += 499;
    expect(answers.availability("e1/true")?.body).toBe("bits");
    now += 1;
    expect(answers.availability("e1/true")).toBeUndefined();
  });

  it("reuse the kept body of an availability fetched again at the same version, and encode a new version", () => {
    const answers = createEncodedAnswers({ maxBytes: 1_000, freshMs: 500 });
    let encoded = 0;
    const encode = (body: string) => () => (encoded++, answer(body));
    answers.keepAvailability("e1/true", '"v1"', encode("v1"));
    expect(answers.keepAvailability("e1/true", '"v1"', encode("v1")).body).toBe("v1");
    expect(encoded).toBe(1);
    expect(answers.keepAvailability("e1/true", '"v2"', encode("v2")).body).toBe("v2");
    expect(encoded).toBe(2);
  });

  it("keep layouts by version until the size bound pushes the least used out", () => {
    const answers = createEncodedAnswers({ maxBytes: 10, freshMs: 500 });
    answers.keepLayout("e1/v1", answer("12345"));
    answers.keepLayout("e2/v1", answer("67890"));
    expect(answers.layout("e1/v1")?.body).toBe("12345");
    answers.keepLayout("e3/v1", answer("abcde"));
    expect(answers.layout("e2/v1")).toBeUndefined();
    expect(answers.layout("e1/v1")?.body).toBe("12345");
  });
});
