// The province dashboard's "every province" choice (?province=all), read by the server and the page.
export const ALL_PROVINCES = "all";
