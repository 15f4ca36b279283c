-- pg_cron job keeping a week of search logs
SELECT cron.schedule('purge-search-logs', '15 * * * *', $$DELETE FROM "SearchLog" WHERE "createdAt" < now() - interval '7 days'$$);
