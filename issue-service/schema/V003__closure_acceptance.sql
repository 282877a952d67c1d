-- Closure acceptance: objections to public notices, deadline extensions and the dossier.

CREATE TABLE objections (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  issue_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  filed_by VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  body LONGTEXT NOT NULL,
  KEY objections_issue (issue_id, id),
  KEY objections_filer (filed_by, create_time)
) ENGINE=InnoDB;

CREATE TABLE extensions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  issue_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  body LONGTEXT NOT NULL,
  KEY extensions_issue (issue_id, id)
) ENGINE=InnoDB;

-- One row per file of an issue's dossier (一案一档); the content in chunks of at most 1 MiB.
CREATE TABLE evidence (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  issue_id BIGINT NOT NULL,
  sealed TINYINT NOT NULL DEFAULT 0,
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  body LONGTEXT NOT NULL,
  KEY evidence_issue (issue_id, id)
) ENGINE=InnoDB;

CREATE TABLE evidence_chunks (
  evidence_id BIGINT NOT NULL,
  seq INT NOT NULL,
  data MEDIUMBLOB NOT NULL,
  PRIMARY KEY (evidence_id, seq)
) ENGINE=InnoDB;
