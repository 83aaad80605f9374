import { mount } from "svelte";
import App from "./App.svelte";
import { getBackend } from "./lib/backend";
import "./app.css";
import "./styles/forms.css";

const target = document.getElementById("app");
if (!target) throw new Error("#app is missing from index.html");

const app = mount(App, { target, props: { backend: getBackend() } });

export default app;
