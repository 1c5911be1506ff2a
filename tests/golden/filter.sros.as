/configure policy-options
delete prefix-list "NN"
prefix-list "NN" {
    prefix 1.27.80.0/24 type exact {
    }
    prefix 2.0.48.0/24 type exact {
    }
    prefix 2.8.87.0/24 type exact {
    }
    prefix 2.12.116.0/24 type exact {
    }
    prefix 2.20.23.0/24 type exact {
    }
    prefix 2.28.236.0/24 type exact {
    }
    prefix 2.50.0.0/18 type exact {
    }
    prefix 2.50.0.0/24 type exact {
    }
    prefix 2.50.6.0/24 type exact {
    }
    prefix 2.50.9.0/24 type exact {
    }
    prefix 2.50.12.0/24 type exact {
    }
    prefix 2.50.15.0/24 type exact {
    }
    prefix 2.50.18.0/24 type exact {
    }
    prefix 2.50.24.0/24 type exact {
    }
    prefix 2.50.27.0/24 type exact {
    }
    prefix 2.50.30.0/24 type exact {
    }
    prefix 2.50.36.0/24 type exact {
    }
    prefix 2.50.39.0/24 type exact {
    }
    prefix 2.50.42.0/24 type exact {
    }
    prefix 2.50.45.0/24 type exact {
    }
    prefix 2.50.48.0/24 type exact {
    }
    prefix 2.50.51.0/24 type exact {
    }
    prefix 2.50.54.0/24 type exact {
    }
    prefix 2.50.57.0/24 type exact {
    }
    prefix 2.54.82.0/24 type exact {
    }
    prefix 2.60.214.0/24 type exact {
    }
    prefix 23.25.152.0/24 type exact {
    }
    prefix 23.52.24.0/24 type exact {
    }
    prefix 23.53.23.0/24 type exact {
    }
    prefix 23.64.45.0/24 type exact {
    }
    prefix 23.78.168.0/24 type exact {
    }
    prefix 177.3.200.0/24 type exact {
    }
}
