import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/domain/identity/session.server";

export const action = ({ request }: ActionFunctionArgs) => logout(request);
export const loader = () => redirect("/");
