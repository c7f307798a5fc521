// Every address no other route answers. Answering it from a route (instead of Remix's own
// no-match) runs the root loader first, so the 404 page speaks the visitor's chosen language
// and has the usual header, like every other page (root.tsx ErrorBoundary).
function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export const loader = notFound;
export const action = notFound;

// Never rendered: the loader always throws to the root error boundary.
export default function NotFound() {
  return null;
}
