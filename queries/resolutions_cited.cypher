// name: resolutions_cited
// question: Which resolutions are known, who adopted them, and who cited them (with sources)?
// params: none
MATCH (r:Resolution)
OPTIONAL MATCH (r)-[:ADOPTED_BY]->(a:Entity)
WITH r, a ORDER BY a.name
WITH r, [x IN collect(DISTINCT a.name) WHERE x IS NOT NULL] AS adopted_by
OPTIONAL MATCH (c:Entity)-[ci:CITES]->(r)
WITH r, adopted_by, c, ci ORDER BY c.name
WITH r, adopted_by, [x IN collect(c.name) WHERE x IS NOT NULL] AS cited_by,
     reduce(acc = [], l IN collect(coalesce(ci.articles, [])) | acc + l) AS cite_articles
RETURN r.name AS resolution, coalesce(r.number, '') AS number, coalesce(r.year, '') AS year, adopted_by,
       cited_by, size(cited_by) AS n_cited,
       reduce(acc = [], x IN cite_articles | CASE WHEN x IN acc THEN acc ELSE acc + x END) AS articles
ORDER BY number, resolution
