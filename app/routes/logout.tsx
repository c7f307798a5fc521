import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/web/session.server";

export const action = ({ request }: ActionFunctionArgs) => logout(request);
export const loader = () => redirect("/");
