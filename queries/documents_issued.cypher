// name: documents_issued
// question: Which documents did meetings issue, and which texts do those documents cite?
// params: none
MATCH (m:Meeting)-[i:ISSUED]->(d:Document)
OPTIONAL MATCH (d)-[:CITES]->(c:Entity)
WITH m, i, d, c ORDER BY c.name
WITH m, i, d, [x IN collect(c.name) WHERE x IS NOT NULL] AS cites
RETURN d.name AS document, m.name AS issued_by_meeting, coalesce(m.date, '') AS date, cites,
       i.articles AS articles
ORDER BY document, issued_by_meeting
