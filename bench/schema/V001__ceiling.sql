-- The ceiling benchmarks' table: one durable INSERT and one primary-key SELECT per call.
CREATE TABLE ceiling (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  payload VARCHAR(255) NOT NULL
) ENGINE=InnoDB;
