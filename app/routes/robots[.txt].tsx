import { robotsResponse } from "~/web/sitemap.server";

// GET /robots.txt: the shop is open to crawlers, the workspaces and buying steps are not; where the sitemap is.
export const loader = () => robotsResponse();
