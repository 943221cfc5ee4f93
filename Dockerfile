# The API + projector image used by docker-compose.yml. Build the jar first:
#   mvn -q -DskipTests package && docker compose up --build
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY stack/target/pawkit-local-stack.jar /app/pawkit.jar
# With PAWKIT_KAFKA_BOOTSTRAP set the jar runs the application only, against that cluster.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-jar", "/app/pawkit.jar"]
