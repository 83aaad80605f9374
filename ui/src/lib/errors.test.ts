import { afterEach, describe, expect, it } from "vitest";
import { toUiError } from "./backend";
import { errorDetails, errorText } from "./errors";
import { setLocale } from "./i18n";

afterEach(() => setLocale("en"));

describe("error messages", () => {
  it("translate known codes and ignore the backend's English text", () => {
    setLocale("ru");
    expect(errorText({ code: "wrong_credential", message: "wrong passphrase" })).toBe("Неверная парольная фраза.");
    setLocale("en");
    expect(errorText({ code: "wrong_credential", message: "whatever" })).toBe("Wrong passphrase.");
  });

  it("show the backend message for codes the UI does not know", () => {
    expect(errorText({ code: "brand_new_code", message: "Something new went wrong" })).toBe("Something new went wrong");
  });

  it("add the backend message as details for io/internal/invalid_input only", () => {
    expect(errorDetails({ code: "io", message: "permission denied: /media/usb" })).toBe(
      "Details: permission denied: /media/usb",
    );
    expect(errorDetails({ code: "wrong_credential", message: "x" })).toBeNull();
  });

  it("normalise whatever a command rejects with", () => {
    expect(toUiError({ code: "locked", message: "m" })).toEqual({ code: "locked", message: "m" });
    expect(toUiError(new Error("boom"))).toEqual({ code: "unexpected", message: "boom" });
    expect(toUiError("plain string")).toEqual({ code: "unexpected", message: "plain string" });
  });
});
