// SLOT for the delivery part of the shop (producer's delivery methods, fee table and estimate):
// it is built on another branch and wired here at merge. Until then the producer page's
// "how they deliver" section renders nothing at all — no placeholder text, no fake methods.
export function ProducerDelivery(_props: { producerId: string }) {
  return null;
}
