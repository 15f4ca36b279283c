CREATE TABLE coupons (
  id serial PRIMARY KEY,
  code text NOT NULL,
  amount integer NOT NULL
);

CREATE TABLE handles (
  id serial PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE redeems (
  id serial PRIMARY KEY,
  coupon_code text NOT NULL,
  user_id integer NOT NULL
);
CREATE UNIQUE INDEX redeems_once ON redeems (coupon_code, user_id);
