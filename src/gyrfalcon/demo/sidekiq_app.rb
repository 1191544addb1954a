# The demo's Sidekiq worker (billing's job system): Debian's ruby-sidekiq and
# ruby-sidekiq-cron. Every minute a cron job settles invoices: it charges cards (some
# are declined, retried twice, then dead), sends receipts, and schedules reminders an
# hour ahead. A first batch runs at start, so the Jobs pages fill at once.
require "sidekiq"
require "sidekiq-cron"

redis = { url: ENV.fetch("REDIS_URL") }
Sidekiq.configure_client { |config| config.redis = redis }

class ChargeCard
  include Sidekiq::Worker
  sidekiq_options queue: "payments", retry: 2, backtrace: true
  sidekiq_retry_in { |_count| 20 }

  def perform(invoice, amount_cents)
    sleep(rand * 2)
    raise ArgumentError, "card declined for invoice #{invoice}" if rand < 0.35
  end
end

class SendReceipt
  include Sidekiq::Worker
  sidekiq_options queue: "mail"

  def perform(invoice, email)
    sleep(1 + rand * 3)
  end
end

class SendReminder
  include Sidekiq::Worker
  sidekiq_options queue: "mail"

  def perform(invoice)
    sleep(rand)
  end
end

class SettleInvoices
  include Sidekiq::Worker
  sidekiq_options queue: "default"

  def perform
    4.times do
      invoice = "INV-#{rand(100_000..999_999)}"
      ChargeCard.perform_async(invoice, rand(500..90_000))
      SendReceipt.perform_async(invoice, "customer#{rand(1..500)}@example.com")
      SendReminder.perform_in(3600 + rand(600), invoice)
    end
  end
end

Sidekiq.configure_server do |config|
  config.redis = redis
  config.on(:startup) do
    Sidekiq::Cron::Job.load_from_hash(
      "settle-invoices" => { "cron" => "* * * * *", "class" => "SettleInvoices",
                             "description" => "Charge, receipt and reminder for new invoices" },
      "nightly-ledger" => { "cron" => "0 2 * * *", "class" => "SendReminder", "args" => ["ledger"],
                            "description" => "The ledger's nightly reminder" },
    )
    SettleInvoices.perform_async
  end
end
