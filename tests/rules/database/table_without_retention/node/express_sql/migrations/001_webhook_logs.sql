CREATE TABLE webhook_logs (
  id bigserial,
  body text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- monthly partitions are created and dropped by pg_partman
SELECT partman.create_parent(p_parent_table => 'public.webhook_logs', p_control => 'received_at', p_interval => '1 month');
