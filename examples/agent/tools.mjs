// The embedder's side of examples/agent: two host tools with their types (src/tools.ts). Their code
// runs on the host with the host's rights; the snippet only sees their typed results.
const FLIGHTS = [
  { id: "UA 1532", airline: "United", from: "SFO", to: "JFK", departs: "07:05", price: 412, stops: 0 },
  { id: "B6 416", airline: "JetBlue", from: "SFO", to: "JFK", departs: "08:30", price: 349.99, stops: 0 },
  { id: "AA 20", airline: "American", from: "SFO", to: "JFK", departs: "11:15", price: 289, stops: 1 },
  { id: "DL 470", airline: "Delta", from: "SFO", to: "JFK", departs: "13:40", price: 379, stops: 0 },
  { id: "AS 22", airline: "Alaska", from: "SFO", to: "BOS", departs: "09:00", price: 199, stops: 0 },
];

/** What sendEmail was asked to send (a real embedder would call its mail service). */
export const outbox = [];

export default {
  searchFlights: {
    description: "flights between two airports (IATA codes) today",
    params: { from: "string", to: "string" },
    returns: "{ id: string, airline: string, departs: string, price: number, stops: number }[]",
    // Async, as a real search API would be: the node engine's worker waits for the promise.
    call: async (from, to) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return FLIGHTS.filter((f) => f.from === from && f.to === to).map(({ id, airline, departs, price, stops }) => ({ id, airline, departs, price, stops }));
    },
  },
  sendEmail: {
    description: "sends an email; returns whether it was accepted",
    params: { to: "string", message: "{ subject: string, lines: string[] }" },
    returns: "boolean",
    call: (to, message) => {
      outbox.push({ to, ...message });
      return true;
    },
  },
};
