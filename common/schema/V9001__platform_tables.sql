-- The platform's tables, the same in every service's schema (versions 9001 and up are common/'s;
-- they run after the service's own). The first services created the first three in their own
-- V001, identically; here they are created only where they do not exist yet.

-- Answers to request ids (common/mysql/idempotency).
CREATE TABLE IF NOT EXISTS idempotency (
  operation VARCHAR(64) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  response LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (operation, request_id)
) ENGINE=InnoDB;

-- Tamper-evident history of every resource (common/history_chain, common/mysql/history_store).
CREATE TABLE IF NOT EXISTS history (
  resource VARCHAR(128) NOT NULL,
  seq BIGINT NOT NULL,
  action VARCHAR(64) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  actor_org VARCHAR(64) NOT NULL,
  occurred_at DATETIME(6) NOT NULL,
  payload LONGTEXT NOT NULL,
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL,
  PRIMARY KEY (resource, seq)
) ENGINE=InnoDB;

-- Transactional outbox served by WatchEvents (common/outbox).
CREATE TABLE IF NOT EXISTS outbox (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_type VARCHAR(64) NOT NULL,
  resource VARCHAR(128) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  actor_org VARCHAR(64) NOT NULL,
  payload LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;

-- Where a consumer of another service's events is (common/event_consumer).
CREATE TABLE IF NOT EXISTS consumer_cursors (
  source VARCHAR(64) NOT NULL PRIMARY KEY,
  cursor_value BIGINT NOT NULL,
  update_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;

-- What this service owes another until it confirms (common/reliable_delivery,
-- common/mysql/delivery_intents): stored with the change that makes it.
CREATE TABLE IF NOT EXISTS delivery_intents (
  kind VARCHAR(64) NOT NULL,
  owner_id BIGINT NOT NULL,
  target_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL,
  next_attempt DATETIME(6) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (kind, owner_id, target_id),
  KEY delivery_intents_due (kind, state, next_attempt)
) ENGINE=InnoDB;
