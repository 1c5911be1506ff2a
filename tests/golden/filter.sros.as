/configure policy-options
delete prefix-list "NN"
prefix-list "NN" {
    prefix 1.0.237.0/24 type exact {
    }
    prefix 2.29.128.0/18 type exact {
    }
    prefix 2.29.128.0/24 type exact {
    }
    prefix 2.29.130.0/24 type exact {
    }
    prefix 2.29.132.0/24 type exact {
    }
    prefix 2.29.134.0/24 type exact {
    }
    prefix 2.29.136.0/24 type exact {
    }
    prefix 2.29.138.0/24 type exact {
    }
    prefix 2.29.140.0/24 type exact {
    }
    prefix 2.29.142.0/24 type exact {
    }
    prefix 2.29.144.0/24 type exact {
    }
    prefix 2.29.146.0/24 type exact {
    }
    prefix 2.29.148.0/24 type exact {
    }
    prefix 2.29.150.0/24 type exact {
    }
    prefix 2.29.152.0/24 type exact {
    }
    prefix 2.29.154.0/24 type exact {
    }
    prefix 2.29.156.0/24 type exact {
    }
    prefix 2.29.158.0/24 type exact {
    }
    prefix 2.29.160.0/24 type exact {
    }
    prefix 2.29.162.0/24 type exact {
    }
    prefix 2.29.164.0/24 type exact {
    }
    prefix 2.29.166.0/24 type exact {
    }
    prefix 2.29.168.0/24 type exact {
    }
    prefix 2.29.170.0/24 type exact {
    }
    prefix 2.29.172.0/24 type exact {
    }
    prefix 2.29.174.0/24 type exact {
    }
    prefix 2.29.176.0/24 type exact {
    }
    prefix 2.29.178.0/24 type exact {
    }
    prefix 2.29.180.0/24 type exact {
    }
    prefix 2.29.182.0/24 type exact {
    }
    prefix 2.29.184.0/24 type exact {
    }
    prefix 23.5.53.0/24 type exact {
    }
    prefix 23.9.77.0/24 type exact {
    }
    prefix 23.11.3.0/24 type exact {
    }
    prefix 23.72.192.0/19 type exact {
    }
}
