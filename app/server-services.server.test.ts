import { directPageFor } from "../server/direct-pages";
import { serverServices } from "~/server-services.server";

// The server answers these itself, before Remix (server/direct-pages.ts): the scan page, and the
// GS1 resolver's machine answers at the product level (a page view of /01/{gtin} goes to Remix).
describe("the pages the app hands the server", () => {
  it("is the scan page /t/{code}, not the pages under it", () => {
    expect(directPageFor(serverServices.directPages, "GET", "/t/CHE123")?.param).toBe("CHE123");
    expect(directPageFor(serverServices.directPages, "GET", "/t/CHE123/")?.param).toBe("CHE123");
    for (const path of ["/t/CHE123/report", "/t/CHE123/location", "/t", "/t/", "/products", "/t/CHE123.data"]) {
      expect(directPageFor(serverServices.directPages, "GET", path)).toBeNull();
    }
  });

  it("answers an unknown code with the scan page's not-found document", async () => {
    const answer = await serverServices.directPages[0]!.answer(
      new Request("http://localhost/t/NOPE", { headers: { "x-ocop-client-ip": "127.0.0.1" } }),
      "NOPE",
    );
    expect(answer?.status).toBe(404);
    expect(answer?.headers.get("content-type")).toMatch(/text\/html/);
  });
});
