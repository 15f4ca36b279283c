export const config = { pageSize: Number(process.env.PAGE_SIZE ?? 50) };
