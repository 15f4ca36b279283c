import { app } from "./app";
import { purgeAuditLog } from "./jobs/purgeAuditLog";

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`listening on ${port}`));
setInterval(() => void purgeAuditLog(), 24 * 3600 * 1000);
