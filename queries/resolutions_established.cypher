// name: resolutions_established
// question: Which resolutions established which bodies, and who adopted those resolutions?
// params: none
MATCH (r:Resolution)-[e:ESTABLISHES]->(b:Entity)
OPTIONAL MATCH (r)-[:ADOPTED_BY]->(a:Entity)
WITH r, e, b, a ORDER BY a.name
WITH r, e, b, [x IN collect(a.name) WHERE x IS NOT NULL] AS adopted_by
RETURN r.name AS resolution, coalesce(r.number, '') AS number, coalesce(r.year, '') AS year,
       b.name AS body, b.type AS body_type, adopted_by, e.articles AS articles
ORDER BY number, resolution, body
