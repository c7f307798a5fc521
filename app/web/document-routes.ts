import { redirectDocument, type ServerBuild } from "@remix-run/node";
import { DATA_REQUEST_HEADER } from "~/server-contract";

// A route with no React component answers a whole document itself (the scan page, ADR 008) or a
// file (labels, CSV, PDF). Remix's in-app navigation to it first asks for its data (single fetch:
// `/t/{code}.data`); answering that with the page or the file shows the client's error page.
// So every such route answers a data request with "load this address as a
// document" (Remix's redirectDocument: one small answer, then the browser loads the page),
// before its own loader runs: no scan is counted, no file is made. ADR 020.

/** The server build with every component-less route sending Remix's data requests to the document. */
export function withDocumentReloads<B extends ServerBuild>(build: B): B {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const { loader } = route.module;
      if (route.module.default || !loader) return [id, route];
      const documentOnly: typeof loader = (args) => {
        if (!args.request.headers.has(DATA_REQUEST_HEADER)) return loader(args);
        const url = new URL(args.request.url);
        url.searchParams.delete("_routes");
        return redirectDocument(url.pathname + url.search);
      };
      return [id, { ...route, module: { ...route.module, loader: documentOnly } }];
    }),
  );
  return { ...build, routes };
}
