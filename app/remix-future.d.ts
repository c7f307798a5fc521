import "@remix-run/node";

// Single Fetch typing for useLoaderData / useActionData.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
