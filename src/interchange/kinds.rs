//! Guessing an archboard kind from another tool's shape style and from the words in a label.
//!
//! The style speaks first, because a cloud icon (`mxgraph.aws4.rds`, a cylinder) says what a
//! thing is even when its label is a name like "orders". The label decides otherwise: people
//! write "Redis", "Kafka" or "users" on plain boxes. Words match whole (so "db" is a database but
//! "dbt" is not), and longer phrases are listed before the words inside them.

/// Style fragments (lowercase, matched as substrings of the style) and the kind they mean.
const STYLES: &[(&str, &str)] = &[
    // AWS (mxgraph.aws3/aws4 shape and resIcon names).
    ("elasticache", "cache"),
    ("dynamodb", "nosql"),
    ("documentdb", "nosql"),
    ("aurora", "database"),
    ("aws4.rds", "database"),
    ("aws3.rds", "database"),
    ("redshift", "warehouse"),
    ("simple_queue_service", "queue"),
    ("aws4.sqs", "queue"),
    ("aws3.sqs", "queue"),
    ("simple_notification_service", "stream"),
    ("aws4.sns", "stream"),
    ("kinesis", "stream"),
    ("managed_streaming_for_kafka", "stream"),
    ("aws4.msk", "stream"),
    ("eventbridge", "stream"),
    ("cloudfront", "cdn"),
    ("elastic_load_balancing", "load_balancer"),
    ("application_load_balancer", "load_balancer"),
    ("network_load_balancer", "load_balancer"),
    ("api_gateway", "api_gateway"),
    ("lambda", "function"),
    ("route_53", "dns"),
    ("cognito", "auth"),
    ("cloudwatch", "monitoring"),
    ("opensearch", "search"),
    ("elasticsearch", "search"),
    ("simple_storage_service", "object_storage"),
    ("aws4.s3", "object_storage"),
    ("aws3.s3", "object_storage"),
    ("bucket", "object_storage"),
    ("step_functions", "scheduler"),
    ("aws4.ec2", "service"),
    ("aws3.ec2", "service"),
    ("elastic_container_service", "service"),
    ("fargate", "service"),
    ("aws4.users", "client"),
    ("aws4.user", "client"),
    ("mobile_client", "mobile"),
    // Google Cloud.
    ("memorystore", "cache"),
    ("bigtable", "nosql"),
    ("firestore", "nosql"),
    ("datastore", "nosql"),
    ("cloud_sql", "database"),
    ("spanner", "database"),
    ("bigquery", "warehouse"),
    ("pubsub", "stream"),
    ("pub_sub", "stream"),
    ("cloud_storage", "object_storage"),
    ("cloud_functions", "function"),
    ("cloud_run", "service"),
    ("compute_engine", "service"),
    ("cloud_load_balancing", "load_balancer"),
    ("cloud_cdn", "cdn"),
    ("cloud_dns", "dns"),
    ("cloud_scheduler", "scheduler"),
    // Azure.
    ("cosmos", "nosql"),
    ("cache_redis", "cache"),
    ("redis", "cache"),
    ("sql_database", "database"),
    ("service_bus", "queue"),
    ("event_hub", "stream"),
    ("blob", "object_storage"),
    ("storage_account", "object_storage"),
    ("front_door", "cdn"),
    ("azure.cdn", "cdn"),
    ("function_app", "function"),
    ("azure.function", "function"),
    ("app_service", "service"),
    ("virtual_machine", "service"),
    ("application_gateway", "load_balancer"),
    ("load_balancer", "load_balancer"),
    ("api_management", "api_gateway"),
    ("active_directory", "auth"),
    // Generic shapes.
    ("cylinder", "database"),
    ("database", "database"),
    ("mxgraph.flowchart.database", "database"),
    ("actor", "client"),
    ("umlactor", "client"),
    ("mxgraph.cisco.servers", "service"),
    ("queue", "queue"),
];

/// Label phrases (lowercase words joined by one space) and the kind they mean.
const WORDS: &[(&str, &str)] = &[
    ("load balancer", "load_balancer"),
    ("load balancers", "load_balancer"),
    ("api gateway", "api_gateway"),
    ("rate limiter", "rate_limiter"),
    ("object storage", "object_storage"),
    ("blob storage", "object_storage"),
    ("message queue", "queue"),
    ("key value", "nosql"),
    ("search index", "search"),
    ("data warehouse", "warehouse"),
    ("web app", "client"),
    ("web application", "client"),
    ("message q", "queue"),
    ("api gw", "api_gateway"),
    ("cold storage", "object_storage"),
    ("data lake", "warehouse"),
    ("control plane", "service"),
    ("cloud run", "service"),
    ("third party", "external"),
    ("web client", "client"),
    ("mobile app", "mobile"),
    ("cron job", "scheduler"),
    ("redis", "cache"),
    ("memcached", "cache"),
    ("memcache", "cache"),
    ("cache", "cache"),
    ("elasticache", "cache"),
    ("kafka", "stream"),
    ("kinesis", "stream"),
    ("pulsar", "stream"),
    ("pubsub", "stream"),
    ("stream", "stream"),
    ("sqs", "queue"),
    ("rabbitmq", "queue"),
    ("queue", "queue"),
    ("mq", "queue"),
    ("postgres", "database"),
    ("postgresql", "database"),
    ("mysql", "database"),
    ("mariadb", "database"),
    ("sql", "database"),
    ("rds", "database"),
    ("aurora", "database"),
    ("oracle", "database"),
    ("database", "database"),
    ("db", "database"),
    ("replica", "database"),
    ("replicas", "database"),
    ("cassandra", "nosql"),
    ("dynamodb", "nosql"),
    ("mongodb", "nosql"),
    ("mongo", "nosql"),
    ("nosql", "nosql"),
    ("hbase", "nosql"),
    ("bigtable", "nosql"),
    ("nginx", "load_balancer"),
    ("haproxy", "load_balancer"),
    ("envoy", "load_balancer"),
    ("elb", "load_balancer"),
    ("alb", "load_balancer"),
    ("lb", "load_balancer"),
    ("cdn", "cdn"),
    ("cloudfront", "cdn"),
    ("akamai", "cdn"),
    ("s3", "object_storage"),
    ("gcs", "object_storage"),
    ("bucket", "object_storage"),
    ("users", "client"),
    ("user", "client"),
    ("client", "client"),
    ("clients", "client"),
    ("admin", "client"),
    ("admins", "client"),
    ("browser", "client"),
    ("mobile", "mobile"),
    ("ios", "mobile"),
    ("android", "mobile"),
    ("gateway", "api_gateway"),
    ("elasticsearch", "search"),
    ("opensearch", "search"),
    ("solr", "search"),
    ("search", "search"),
    ("dns", "dns"),
    ("auth", "auth"),
    ("oauth", "auth"),
    ("identity", "auth"),
    ("login", "auth"),
    ("scheduler", "scheduler"),
    ("cron", "scheduler"),
    ("lambda", "function"),
    ("function", "function"),
    ("serverless", "function"),
    ("worker", "worker"),
    ("workers", "worker"),
    ("consumer", "worker"),
    ("prometheus", "monitoring"),
    ("grafana", "monitoring"),
    ("monitoring", "monitoring"),
    ("metrics", "monitoring"),
    ("logging", "logging"),
    ("logs", "logging"),
    ("snowflake", "warehouse"),
    ("redshift", "warehouse"),
    ("bigquery", "warehouse"),
    ("warehouse", "warehouse"),
    ("notification", "notification"),
    ("notifications", "notification"),
    ("email", "notification"),
    ("smtp", "notification"),
    ("sms", "notification"),
    ("service", "service"),
    ("services", "service"),
    ("microservice", "service"),
    ("backend", "service"),
    ("engine", "service"),
    ("manager", "service"),
    ("managers", "service"),
    ("controller", "service"),
    ("runtime", "service"),
    ("runtimes", "service"),
    ("server", "web_server"),
    ("servers", "web_server"),
    ("api", "service"),
    ("gw", "api_gateway"),
    ("proxy", "load_balancer"),
    ("ingress", "load_balancer"),
    ("agent", "worker"),
    ("dispatcher", "worker"),
    ("loader", "worker"),
    ("job", "worker"),
    ("jobs", "worker"),
    ("storage", "object_storage"),
    ("archive", "object_storage"),
    ("lake", "warehouse"),
    ("iceberg", "warehouse"),
    ("clickhouse", "warehouse"),
    ("pipeline", "processor"),
    ("etl", "processor"),
    ("spark", "processor"),
    ("flink", "processor"),
    ("hadoop", "processor"),
    ("trino", "processor"),
    ("presto", "processor"),
    ("logstash", "logging"),
    ("fluentd", "logging"),
    ("loki", "logging"),
    ("victorialogs", "logging"),
    ("log", "logging"),
    ("kibana", "monitoring"),
    ("dashboard", "monitoring"),
    ("quickwit", "search"),
    ("influxdb", "database"),
    ("greptimedb", "database"),
    ("firestore", "nosql"),
    ("datastore", "nosql"),
    ("iam", "auth"),
    ("rbac", "auth"),
    ("oidc", "auth"),
    ("sso", "auth"),
    ("keycloak", "auth"),
    ("cognito", "auth"),
    ("frontend", "client"),
    ("jupyter", "client"),
    ("notebooks", "client"),
    ("distribution", "cdn"),
];

/// The kind a style or label points at, if any.
pub fn guess(style: &str, label: &str) -> Option<&'static str> {
    from_style(style).or_else(|| from_label(label))
}

fn from_style(style: &str) -> Option<&'static str> {
    if style.is_empty() {
        return None;
    }
    let style = style.to_ascii_lowercase();
    STYLES
        .iter()
        .find(|(frag, _)| style.contains(frag))
        .map(|(_, kind)| *kind)
}

fn from_label(label: &str) -> Option<&'static str> {
    // " words in the label " with every other character a space, so phrases match whole words.
    let mut text = String::with_capacity(label.len() + 2);
    text.push(' ');
    for c in label.chars().take(400) {
        if c.is_alphanumeric() {
            text.extend(c.to_lowercase());
        } else if !text.ends_with(' ') {
            text.push(' ');
        }
    }
    if !text.ends_with(' ') {
        text.push(' ');
    }
    // The earliest word in the label decides ("Redis cache for the orders db" is a cache).
    WORDS
        .iter()
        .filter_map(|(phrase, kind)| text.find(&format!(" {phrase} ")).map(|at| (at, *kind)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::guess;

    #[test]
    fn labels_decide_by_whole_words() {
        assert_eq!(guess("", "Redis"), Some("cache"));
        assert_eq!(guess("", "Kafka topic: orders"), Some("stream"));
        assert_eq!(guess("", "Postgres (primary)"), Some("database"));
        assert_eq!(guess("", "orders DB"), Some("database"));
        assert_eq!(guess("", "nginx"), Some("load_balancer"));
        assert_eq!(guess("", "Users"), Some("client"));
        assert_eq!(guess("", "Mobile app"), Some("mobile"));
        assert_eq!(guess("", "S3"), Some("object_storage"));
        assert_eq!(guess("", "CDN"), Some("cdn"));
        assert_eq!(guess("", "Load Balancer"), Some("load_balancer"));
        assert_eq!(guess("", "dbt models"), None, "db must be a whole word");
        assert_eq!(guess("", "Thing"), None);
    }

    #[test]
    fn the_first_word_wins_and_the_style_beats_the_label() {
        assert_eq!(guess("", "Redis cache for the orders db"), Some("cache"));
        assert_eq!(
            guess(
                "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.dynamodb",
                "orders"
            ),
            Some("nosql")
        );
        assert_eq!(
            guess("shape=cylinder3;whiteSpace=wrap", "users"),
            Some("database")
        );
        assert_eq!(
            guess("mxgraph.aws4.elastic_load_balancing", ""),
            Some("load_balancer")
        );
        assert_eq!(guess("rounded=1;whiteSpace=wrap", "Kafka"), Some("stream"));
    }
}
