import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it } from "vitest";
import { setLocale } from "./lib/i18n";
import { CASE_ID, INCIDENT_ID, PERSON_ID, renderCase } from "./test/fixtures";

beforeEach(() => {
  setLocale("en");
});

describe("proceedings", () => {
  it("adds an extradition request with countries, charges, grounds and a key date", async () => {
    const { user, backend } = await renderCase();
    expect(screen.getByTestId("section-proceedings")).toHaveTextContent("No proceedings recorded yet.");

    await user.selectOptions(screen.getByTestId("proceeding-kind"), "extradition");
    await user.type(screen.getByTestId("proceeding-requesting-state"), "kz");
    expect(screen.getByTestId("proceeding-requesting-state-name")).toHaveTextContent("Kazakhstan");
    await user.type(screen.getByTestId("proceeding-requested-state"), "x1");
    expect(screen.getByTestId("proceeding-requested-state-error")).toHaveTextContent("two-letter country code");
    expect(screen.getByTestId("proceeding-submit")).toBeDisabled();
    await user.clear(screen.getByTestId("proceeding-requested-state"));
    await user.type(screen.getByTestId("proceeding-requested-state"), "TR");
    await user.type(screen.getByTestId("proceeding-authority"), "Istanbul 3rd Criminal Court of Peace");
    await user.type(screen.getByTestId("proceeding-reference"), "2019/147");
    await user.type(screen.getByTestId("proceeding-charges"), "Art. 174 (inciting discord), Art. 179");
    await user.type(screen.getByTestId("proceeding-outcome"), "Extradition refused");
    await user.click(screen.getByTestId("proceeding-ground-echr_3"));
    await user.click(screen.getByTestId("proceeding-ground-refugee_convention"));
    await user.click(screen.getByTestId(`proceeding-incident-${INCIDENT_ID}`));

    // A key date is checked like the incident date: no saving while it is not understood.
    await user.click(screen.getByTestId("proceeding-add-date"));
    await user.type(screen.getByTestId("proceeding-date-label-0"), "detained on the Interpol notice");
    await user.type(screen.getByTestId("proceeding-date-0"), "Mai 2019");
    expect(await screen.findByTestId("proceeding-date-0-error")).toBeInTheDocument();
    expect(screen.getByTestId("proceeding-submit")).toBeDisabled();
    await user.clear(screen.getByTestId("proceeding-date-0"));
    await user.type(screen.getByTestId("proceeding-date-0"), "May 2019");
    expect(await screen.findByTestId("proceeding-date-0-canonical")).toHaveAttribute("data-value", "2019-05");
    await waitFor(() => expect(screen.getByTestId("proceeding-submit")).toBeEnabled());
    await user.click(screen.getByTestId("proceeding-submit"));

    const item = await screen.findByTestId("proceeding-item");
    expect(within(item).getByTestId("proceeding-item-title")).toHaveTextContent("Extradition 2019/147");
    expect(within(item).getByTestId("proceeding-item-states")).toHaveTextContent("KZ → TR");
    expect(within(item).getByTestId("proceeding-item-charges")).toHaveTextContent("Art. 174 (inciting discord); Art. 179");
    expect(within(item).getByTestId("proceeding-item-grounds")).toHaveTextContent("European Convention on Human Rights, art. 3");
    expect(within(item).getByTestId("proceeding-item-dates")).toHaveTextContent("May 2019 — detained on the Interpol notice");
    expect(screen.getByTestId("proceeding-authority")).toHaveValue("");

    const [p] = (await backend.caseGet({ id: CASE_ID })).proceedings;
    expect(p).toMatchObject({
      kind: "extradition",
      requesting_state: "KZ",
      requested_state: "TR",
      charges: ["Art. 174 (inciting discord)", "Art. 179"],
      legal_grounds: ["echr_3", "refugee_convention"],
      incidents: [INCIDENT_ID],
      dates: [{ label: "detained on the Interpol notice", date: "2019-05" }],
    });

    // Now the incident is referred to by the proceeding: it cannot go to the trash.
    await user.click(screen.getByTestId(`trash-incident-${INCIDENT_ID}`));
    await user.type(screen.getByTestId("trash-reason"), "tidying up");
    await user.click(screen.getByTestId("trash-confirm"));
    expect(await screen.findByTestId("trash-error")).toHaveTextContent(p.id);
  });
});

describe("interventions", () => {
  it("adds one, then edits its status with a reason", async () => {
    const { user, backend } = await renderCase();
    expect(screen.getByTestId("intervention-submit")).toBeDisabled();
    await user.selectOptions(screen.getByTestId("intervention-actor-kind"), "un_special_procedure");
    await user.type(screen.getByTestId("intervention-actor"), "Special Rapporteur on human rights defenders");
    await user.type(screen.getByTestId("intervention-date"), "2020-02-11");
    await user.type(screen.getByTestId("intervention-request"), "Urgent appeal against the extradition to Kazakhstan.");
    await user.selectOptions(screen.getByTestId("intervention-status"), "submitted");
    expect(await screen.findByTestId("intervention-date-canonical")).toHaveAttribute("data-value", "2020-02-11");
    await waitFor(() => expect(screen.getByTestId("intervention-submit")).toBeEnabled());
    await user.click(screen.getByTestId("intervention-submit"));

    const item = await screen.findByTestId("intervention-item");
    expect(within(item).getByTestId("intervention-item-actor")).toHaveTextContent("UN special procedure: Special Rapporteur");
    expect(within(item).getByTestId("intervention-item-status")).toHaveTextContent("Submitted");
    const id = item.getAttribute("data-id")!;

    await user.click(screen.getByTestId(`edit-intervention-${id}`));
    expect(screen.getByTestId("intervention-request")).toHaveValue("Urgent appeal against the extradition to Kazakhstan.");
    await user.selectOptions(screen.getByTestId("intervention-status"), "granted");
    await user.type(screen.getByTestId("intervention-response"), "Communication sent to Türkiye.");
    await user.type(screen.getByTestId("reason-input"), "reply received");
    // Ctrl+Enter saves from any field.
    await user.click(screen.getByTestId("intervention-response"));
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(screen.getByTestId("intervention-item-status")).toHaveTextContent("Granted"));
    const [iv] = (await backend.caseGet({ id: CASE_ID })).interventions;
    expect(iv).toMatchObject({ status: "granted", response: "Communication sent to Türkiye.", date: "2020-02-11" });
  });
});

describe("sources", () => {
  it("adds a graded source cited by an incident; it cannot be trashed while cited", async () => {
    const { user, backend } = await renderCase();
    expect(screen.getByTestId("source-incident")).toHaveValue(INCIDENT_ID);
    await user.selectOptions(screen.getByTestId("source-type"), "media");
    await user.type(screen.getByTestId("source-citation"), "Vlast.kz, “Followed in Moscow”, 12 March 2008");
    await user.selectOptions(screen.getByTestId("source-reliability"), "B");
    await user.selectOptions(screen.getByTestId("source-credibility"), "2");
    await user.type(screen.getByTestId("source-accessed"), "2024");
    await screen.findByTestId("source-accessed-canonical");
    await waitFor(() => expect(screen.getByTestId("source-submit")).toBeEnabled());
    await user.click(screen.getByTestId("source-submit"));

    const item = await screen.findByTestId("source-item");
    expect(within(item).getByTestId("source-item-grading")).toHaveTextContent("B2");
    expect(item).toHaveTextContent("Cited by: Followed from the hotel");
    const id = item.getAttribute("data-id")!;
    const detail = await backend.caseGet({ id: CASE_ID });
    expect(detail.incidents[0].sources).toEqual([id]);
    expect(detail.sources[0]).toMatchObject({ source_type: "media", reliability: "B", credibility: 2, accessed: "2024" });
    const notes = (await backend.recordHistory({ id: INCIDENT_ID })).map((v) => v.note);
    expect(notes[1]).toMatch(/^cites the source “Vlast\.kz/);

    await user.click(screen.getByTestId(`trash-source-${id}`));
    await user.type(screen.getByTestId("trash-reason"), "wrong article");
    await user.click(screen.getByTestId("trash-confirm"));
    expect(await screen.findByTestId("trash-error")).toHaveTextContent(INCIDENT_ID);
  });
});

describe("perpetrators", () => {
  it("creates an organisation and names it as perpetrator of a new incident", async () => {
    const { user, backend } = await renderCase();
    const form = screen.getByTestId("incident-form");
    await user.type(within(form).getByTestId("incident-title"), "Relatives questioned");
    await user.selectOptions(within(form).getByTestId("incident-act-type"), "coercion_by_proxy");
    await user.type(within(form).getByTestId("incident-date"), "2019");

    await user.click(screen.getByTestId("org-new"));
    await user.type(screen.getByTestId("org-name"), "National Security Committee (KNB)");
    await user.selectOptions(screen.getByTestId("org-kind"), "security_service");
    await user.type(screen.getByTestId("org-country"), "KZ");
    // Enter creates the organisation and does not submit the incident.
    await user.type(screen.getByTestId("org-name"), "{Enter}");
    await waitFor(() => expect(screen.getByTestId("perpetrator-organisation")).not.toHaveValue(""));
    expect(screen.queryByTestId("incident-item-perpetrators")).not.toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("perpetrator-involvement"), "ordered");
    await user.selectOptions(screen.getByTestId("perpetrator-attribution"), "credible");
    await user.click(screen.getByTestId("perpetrator-add"));
    expect(screen.getByTestId("perpetrator-item")).toHaveTextContent("National Security Committee (KNB) (KZ) — Ordered, Credible");

    // A person as perpetrator too, found through the picker (involvement and confidence stay as chosen).
    await user.click(screen.getByTestId("perpetrator-type-person"));
    await user.type(screen.getByTestId("picker-perpetrator-person"), "daniar");
    await screen.findByTestId("picker-option");
    await user.keyboard("{Enter}");
    await user.click(screen.getByTestId("perpetrator-add"));
    expect(screen.getAllByTestId("perpetrator-item")).toHaveLength(2);

    await screen.findByTestId("incident-date-canonical");
    await waitFor(() => expect(screen.getByTestId("incident-submit")).toBeEnabled());
    await user.click(screen.getByTestId("incident-submit"));
    await waitFor(() => expect(screen.getAllByTestId("incident-item")).toHaveLength(2));
    expect(screen.getByTestId("incident-item-perpetrators")).toHaveTextContent(
      "National Security Committee (KNB) (involvement: Ordered; attribution: Credible); Daniyar Moldashev (involvement: Ordered; attribution: Credible)",
    );
    const detail = await backend.caseGet({ id: CASE_ID });
    expect(detail.organisations.map((o) => o.name)).toEqual(["National Security Committee (KNB)"]);
    const added = detail.incidents.find((i) => i.title === "Relatives questioned")!;
    expect(added.perpetrators).toEqual([
      { person: null, organisation: detail.organisations[0].id, involvement: "ordered", attribution: "credible" },
      { person: PERSON_ID, organisation: null, involvement: "ordered", attribution: "credible" },
    ]);
  });
});
