// The location button of a unit page reached by its GS1 path posts here: the same action
// as /t/{code}/location (it needs only the scan's id), without the unit's /t/ code in the page.
export { action } from "./t.$code.location";
