# Builds the portal binary and runs it against the PostgreSQL of docker-compose.yml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/portal ./cmd/portal

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 portal
COPY --from=build /out/portal /usr/local/bin/portal
COPY data /srv/data
USER portal
WORKDIR /srv
EXPOSE 8080
ENTRYPOINT ["portal"]
CMD ["serve", "-import", "/srv/data/sovereign-ai.yaml"]
