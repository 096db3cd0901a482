// An action plan a model wrote for: "Find the cheapest nonstop flight from SFO to JFK under $400
// and email it to the traveller." It calls two host tools the embedder registered (tools.mjs) and
// the policy approves (policy.json); everything else is the subset's plain JavaScript.
const flights = searchFlights("SFO", "JFK");
const nonstop = flights.filter((f) => f.stops === 0 && f.price <= 400);
if (nonstop.length === 0) {
  console.log("no nonstop flight under $400");
} else {
  nonstop.sort((a, b) => a.price - b.price);
  const best = nonstop[0];
  const body = [
    `Flight ${best.id} (${best.airline}) departs ${best.departs}.`,
    `Price: $${best.price.toFixed(2)}, ${nonstop.length - 1} other nonstop option(s) under $400.`,
  ];
  const sent = sendEmail("traveller@example.com", { subject: `Cheapest nonstop SFO-JFK: $${best.price}`, lines: body });
  console.log(sent ? `emailed ${best.id} at $${best.price} to the traveller` : "the email was not sent");
}
