import { createReportsConnection } from "../utils/ReportsConnection";

export const reportsPool = createReportsConnection();
