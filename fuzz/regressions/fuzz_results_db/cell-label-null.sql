PRAGMA application_id=1347570777;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES('format','parley-sweep');
INSERT INTO meta VALUES('cells','1');
CREATE TABLE vary(idx INTEGER PRIMARY KEY, path TEXT);
CREATE TABLE cells(cell INTEGER PRIMARY KEY, label TEXT);
INSERT INTO cells VALUES(0,NULL);
CREATE TABLE cell_values(cell INTEGER, idx INTEGER, value TEXT);
CREATE TABLE runs(cell INTEGER, draw INTEGER, run INTEGER, treaty REAL, treaty_month REAL, collapse REAL, cbm_rungs REAL);
