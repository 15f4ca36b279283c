import express from "express";
import { members } from "./members";
import { newsletter } from "./newsletter";
import { sites } from "./sites";

const app = express();
app.use(express.json());
app.use("/members", members);
app.use("/sites", sites);
app.use("/newsletter", newsletter);
app.listen(3000);
