DROP TABLE security_events;
DROP TABLE trades;
DROP TABLE orders;
DROP TABLE withdrawals;
DROP TABLE deposits;
DROP TABLE wallets;
DROP TABLE users;
