from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql+psycopg://billing:billing@localhost:5432/billing"
    webhook_url: str = "https://hooks.example.test/invoices"
    rates_url: str = "https://rates.example.test/latest"


settings = Settings()
