import { pagesPool } from "../../libs/DB";

export default async function OrdersPage() {
  const { rows } = await pagesPool.query("select id, total from orders order by id desc limit 20");
  return (
    <ul>
      {rows.map((row) => (
        <li key={row.id}>{row.total}</li>
      ))}
    </ul>
  );
}
