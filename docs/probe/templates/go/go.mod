module example.com/orders/debugprobe

go 1.18
