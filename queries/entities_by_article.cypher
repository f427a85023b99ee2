// name: entities_by_article
// question: Which entities does an article mention, by type?
// params: article (string) - the article id (e.g. 000_9b9411f3ce8c0aee)
MATCH (a:Article {id: $article})<-[:MENTIONED_IN]-(e:Entity)
RETURN a.id AS article, e.type AS type, e.name AS entity, e.id AS entity_id
ORDER BY type, entity, entity_id
