# Jobs of the real Sidekiq worker the jobs tests start (Debian's ruby-sidekiq 6.4).
# A test steers them through Redis keys: "broken" makes ChargeCard fail, "release"
# lets Hold finish, and every job that succeeds records itself in the "done" list.
require "sidekiq"
require "sidekiq-cron"

redis = { url: ENV.fetch("REDIS_URL") }
Sidekiq.configure_server { |config| config.redis = redis }
Sidekiq.configure_client { |config| config.redis = redis }

class ChargeCard
  include Sidekiq::Worker
  sidekiq_options queue: "billing", retry: 0, backtrace: true

  def perform(order_id)
    Sidekiq.redis do |conn|
      raise ArgumentError, "card declined for order #{order_id}" if conn.get("broken") == "1"
      conn.rpush("done", "ChargeCard:#{order_id}")
    end
  end
end

class SendInvoice
  include Sidekiq::Worker
  sidekiq_options queue: "billing", retry: 3

  def perform(order_id)
    Sidekiq.redis do |conn|
      raise IOError, "mail server unreachable for order #{order_id}" if conn.get("broken") == "1"
      conn.rpush("done", "SendInvoice:#{order_id}")
    end
  end
end

class Hold
  include Sidekiq::Worker
  sidekiq_options queue: "slow", retry: 0

  def perform(tag)
    Sidekiq.redis { |conn| conn.blpop("release", timeout: 60) }
    Sidekiq.redis { |conn| conn.rpush("done", "Hold:#{tag}") }
  end
end
