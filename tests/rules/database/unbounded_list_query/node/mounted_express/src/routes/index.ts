import { Router } from "express";
import { usersRouter } from "./users";

const api = Router();
api.use("/users", usersRouter);

export default api;
