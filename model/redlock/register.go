package redlock

import "github.com/leasesim/leasesim/model"

func init() { model.Register(protocol()) }
