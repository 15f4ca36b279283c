create table public.events (
  id bigint generated always as identity primary key,
  name text not null,
  venue text,
  starts_at timestamptz not null
);
create extension if not exists pg_trgm;
create index events_venue_trgm on public.events using gin (venue gin_trgm_ops);
