-- The accountability docket. A case is stored as canonical JSON beside the columns that filters,
-- scope checks, idempotent transfers and the reopen dispatcher need.

CREATE TABLE cases (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  state TINYINT NOT NULL,
  source TINYINT NOT NULL,
  region_code CHAR(6) NOT NULL,
  -- One case per transfer: a repeated transfer finds the case, whatever the request id.
  transfer_id VARCHAR(128) NULL,
  opened_date DATE NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_hash CHAR(64) NOT NULL,
  UNIQUE KEY cases_transfer (transfer_id),
  KEY cases_state (state, id),
  KEY cases_region (region_code, id),
  KEY cases_opened (opened_date, id)
) ENGINE=InnoDB;

CREATE TABLE case_subject_orgs (
  case_id BIGINT NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (case_id, org_id),
  KEY case_subject_orgs_org (org_id, case_id)
) ENGINE=InnoDB;

CREATE TABLE case_failure_types (
  case_id BIGINT NOT NULL,
  failure_type TINYINT NOT NULL,
  PRIMARY KEY (case_id, failure_type),
  KEY case_failure_types_type (failure_type, case_id)
) ENGINE=InnoDB;

-- Reopenings a decision asked for, until the issue registry confirms them.
CREATE TABLE reopen_deliveries (
  case_id BIGINT NOT NULL,
  issue_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  next_attempt DATETIME(6) NOT NULL,
  PRIMARY KEY (case_id, issue_id),
  KEY reopen_deliveries_due (state, next_attempt)
) ENGINE=InnoDB;

CREATE TABLE idempotency (
  operation VARCHAR(64) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  response LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (operation, request_id)
) ENGINE=InnoDB;

CREATE TABLE history (
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

CREATE TABLE outbox (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_type VARCHAR(64) NOT NULL,
  resource VARCHAR(128) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  actor_org VARCHAR(64) NOT NULL,
  payload LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;
