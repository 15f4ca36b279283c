import express from "express";
import { accounts } from "./accounts";
import { catalog } from "./catalog";

const app = express();
app.use(express.json());
app.use("/accounts", accounts);
app.use("/catalog", catalog);
app.listen(3000);
